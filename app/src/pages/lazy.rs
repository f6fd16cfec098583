//! Screens only some people open, loaded when first opened: their code is
//! split off the first load (`scripts/split-wasm.sh`), which every
//! enterprise on a slow phone pays for. Each is a Leptos lazy route.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use super::{admin, admin_calendar, admin_directory, admin_rules, settings};

macro_rules! lazy_screen {
    ($route:ident, $page:path) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    };
}

lazy_screen!(Settings, settings::SettingsPage);
lazy_screen!(Accounts, admin::AdminPage);
lazy_screen!(Directory, admin_directory::DirectoryPage);
lazy_screen!(Rules, admin_rules::RulesPage);
lazy_screen!(Calendar, admin_calendar::CalendarPage);

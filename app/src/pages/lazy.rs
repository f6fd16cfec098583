//! Every screen but the sign-in form and the case list, loaded when first
//! opened: their code is split off the first load
//! (`scripts/split-wasm.sh`), which every enterprise on a slow phone pays
//! for before it sees anything. Each is a Leptos lazy route; the service
//! worker keeps them all, so they open offline too.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use super::{
    admin, admin_calendar, admin_directory, admin_rules, case_view, invitation, new_appeal, password, register,
    session_view, settings,
};

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
lazy_screen!(NewAppeal, new_appeal::NewAppeal);
lazy_screen!(Register, register::Register);
lazy_screen!(Case, case_view::CaseView);
lazy_screen!(Session, session_view::SessionView);
lazy_screen!(Password, password::ChangePassword);
lazy_screen!(Invitation, invitation::Invitation);

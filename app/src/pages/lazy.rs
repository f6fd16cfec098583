//! Screens few people open, or rarely (accounts, one-time links, the
//! password form): their code loads when the route is first visited,
//! not with the app.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use super::admin::AdminPage;
use super::invitation::Invitation;
use super::password::ChangePassword;

/// A route whose screen (`$screen`, a component without props) is its own
/// lazily loaded chunk.
macro_rules! lazy_screen {
    ($route:ident, $screen:ident) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_route: Self) -> AnyView {
                view! { <$screen /> }.into_any()
            }
        }
    };
}

lazy_screen!(AdminRoute, AdminPage);
lazy_screen!(InvitationRoute, Invitation);
lazy_screen!(PasswordRoute, ChangePassword);

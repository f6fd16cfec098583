//! Screens few people open, or rarely (accounts, one-time links, the
//! password form): their code loads when the route is first visited,
//! not with the app.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

pub struct AdminRoute;

#[lazy_route]
impl LazyRoute for AdminRoute {
    fn data() -> Self {
        AdminRoute
    }

    fn view(_route: Self) -> AnyView {
        view! { <super::admin::AdminPage /> }.into_any()
    }
}

pub struct InvitationRoute;

#[lazy_route]
impl LazyRoute for InvitationRoute {
    fn data() -> Self {
        InvitationRoute
    }

    fn view(_route: Self) -> AnyView {
        view! { <super::invitation::Invitation /> }.into_any()
    }
}

pub struct PasswordRoute;

#[lazy_route]
impl LazyRoute for PasswordRoute {
    fn data() -> Self {
        PasswordRoute
    }

    fn view(_route: Self) -> AnyView {
        view! { <super::password::ChangePassword /> }.into_any()
    }
}

mod actions;
mod attachments;
pub mod case_list;
pub mod case_view;
pub mod fields;
pub mod new_appeal;
pub mod sessions;
pub mod sign_in;
pub mod timeline;

pub mod case_list;
mod fields;
pub mod new_appeal;
pub mod sign_in;

pub mod case_list;
pub mod new_appeal;
pub mod sign_in;

pub mod case_list;
pub mod new_appeal;

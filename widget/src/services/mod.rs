pub mod api;
pub mod page;
pub mod storage;

pub mod api;
pub mod page;
pub mod retry;
pub mod storage;

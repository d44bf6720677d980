pub mod api;
pub mod page;
pub mod realm;
pub mod retry;
pub mod storage;

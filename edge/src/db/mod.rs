//! Every D1 read and write of the edge, one module per table group.

pub mod reports;

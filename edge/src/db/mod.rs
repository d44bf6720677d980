//! D1 access, one module per table or group of tables; parameterised statements only.

pub mod audit;
pub mod keys;
pub mod secrets;
pub mod tenants;

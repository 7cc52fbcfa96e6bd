//! Who may do what. Every permission rule lives in [`policy`]; the web and CLI layers
//! ask [`authorize`] and never decide for themselves.

mod policy;
mod role;

pub use policy::{authorize, Action, Denied, Record, SefStage};
pub use role::{Principal, Role, RoleError, Scope};

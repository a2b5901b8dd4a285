//! Generator library.

pub mod docs;

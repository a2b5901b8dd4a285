//! Validator tests: see issue 3 (in progress).

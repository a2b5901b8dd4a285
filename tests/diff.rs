//! Diff tests: see issue 5 (in progress).

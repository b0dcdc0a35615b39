//! Search exports (filled in with the search UI).

//! Classifier exports (filled in with the classifier widget).

//! Conversion propensity model (in progress).

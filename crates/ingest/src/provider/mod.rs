//! Live providers, one per source (filled in by the provider work).

//! File parsers, one per format (filled in by the format work).

//! Python parsing for sparkfix.

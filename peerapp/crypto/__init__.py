"""Pure cryptographic functions over PyNaCl. No I/O beyond what callers hand in."""

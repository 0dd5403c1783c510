"""The sans-IO domain: stdlib only, never awaits, reads the clock or touches a socket."""

"""The running peer: storage + network + protocol inside one trio run, behind one facade."""

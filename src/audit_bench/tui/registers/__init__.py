"""The tabs of the Registres area, one module per register."""

"""The operators' console (/admin): sits on top of the helplines and accounts areas."""

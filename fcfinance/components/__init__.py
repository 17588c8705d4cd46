"""One module per family of line items (METHOD §2–7).

Each function is pure: it takes amounts and timing keys that may be scalars
or arrays over paths (shape (P,)) and returns :class:`~fcfinance.lines.Line`
objects holding positive magnitudes [元]; the engine attaches signs.
"""

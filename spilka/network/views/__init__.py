"""Network directory pages, split by concept. Thin: parse input, fetch through access
helpers, call a service. urls.py imports the modules."""

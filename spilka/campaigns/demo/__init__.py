"""Demo campaigns, resolutions, statements and bills, loaded by ``spilka.demo.load_all``."""

"""The double random draw: plans, eligibility, freeze, engine, run, published record."""

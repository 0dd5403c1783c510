"""The typed contract between the engine and its fronts: commands, results, events and
refusals as frozen dataclasses and one enum, split by feature (registry.py gathers them).
Kept free of imports so core/errors.py can take the Refusal enum without a cycle."""

"""What a synthesis target accepts: elements, attributes, value ranges, limits, voices.

Profiles are data. :mod:`ssmlkit.profiles.cosyvoice` is the default (and so far only) profile:
the facts, as constants. :mod:`ssmlkit.profiles.values` reads and writes attribute values against
them (break times, multipliers, volume) and re-exports them with the voice catalogue
(:mod:`ssmlkit.profiles.voices`): the one place the builder, the linter's rules, the converter,
the offline planner and the renderer take the dialect's values from.
"""

"""What a synthesis target accepts: elements, attributes, value ranges, limits, voices.

Profiles are data. :mod:`ssmlkit.profiles.cosyvoice` is the default (and so far only) profile.
"""

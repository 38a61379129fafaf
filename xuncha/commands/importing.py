"""Commands of this area are registered here (placeholder until the area lands)."""


def register(sub):
    pass

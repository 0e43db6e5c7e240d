"""Operations on a whole installation, run by administrators and the CLI rather than users.

Services are the use cases of one organisation's records; these set an installation up
(`setup`) or fill it with demonstration data (`demo`), across organisations.
"""

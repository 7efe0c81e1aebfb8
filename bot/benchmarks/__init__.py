"""Measurements that drive the whole tutor: many learners at once (``hangul-bot bench``) and the
data flywheel (``hangul-bot flywheel``)."""

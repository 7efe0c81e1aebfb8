"""The seed of the held-out writers: stroke writers, informal writers, font jitter and blocks of
real letters drawn from it are never trained on (training draws from small seeds), and every
bench and quality figure is measured on them. One home for it, so that training (which builds
some held-out sets, e.g. :func:`ml.training.syllable_data.held_out_pictures`) and evaluation measure
on the very same pictures."""

HELD_OUT_SEED = 1000

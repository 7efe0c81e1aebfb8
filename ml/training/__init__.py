"""Training: labelled data, synthetic letters and junk, augmentation, the models, the training
loop, the "not a letter" threshold and export to a registry folder.

Imports :mod:`ml.reading` and :mod:`ml.writing`; torch only in the modules that train."""

"""Everything about letters as images: alphabet, preprocessing, data, models, training, serving."""

"""Writing letters as pictures, torch-free: the strokes of every letter and a stroke writer,
writers' informal habits, stroke-order pictures for lessons, the fonts on this machine, and how
a written letter looks photographed, screenshot or exported with transparency, and the seed
of the writers no training sees.

Imports only :mod:`ml.reading` of ``ml``."""

"""Reading a picture, torch-free: the alphabet, safe decoding, the canonical 28x28 form and its
contract, verdicts, the ONNX Runtime classifier, the model registry and the worker's client.

Imports nothing else of ``ml``; this is all the bot needs at run time."""

"""ai4radiology: the living catalog of AI methods, code and datasets for 3D reconstruction in radiology."""

__version__ = "0.1.0"

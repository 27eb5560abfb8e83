"""ldn-evidence: a checkable catalogue of studies of low-dose naltrexone (LDN)."""

__version__ = "0.1.0"

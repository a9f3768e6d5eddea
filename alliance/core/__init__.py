"""Pure computation for Alliance: no Django, no database, no files, no network.

The web apps hand plain frames and dataclasses to this package and receive results back.
A test fails if anything here imports Django.
"""

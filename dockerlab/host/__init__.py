"""This machine's side: free ports, an HTTP probe, and what /proc says about a process."""

// Placeholder: the client benchmark driver (scripts/bench-client.sh) lands here.
print("podstack-bench: not built yet")

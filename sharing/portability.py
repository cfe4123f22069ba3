from portability.registry import leave_out

# Not in the data file: a link's token exists only in the address given out,
# so a copy could never open anything, and its openings are about the link.
leave_out("sharing.ShareLink", "a link only works with the token shown once; nothing to restore")
leave_out("sharing.ShareOpening", "openings belong to a link, which is not exported")

"""Progress keeps no tables: the dashboard reads the owning apps through their
`for_user` querysets. (Its old tables now belong to the portability app.)"""

"""The dashboard's charts, one module per panel: the rows it reads and the figure it draws.

Each builder hands the template the chart's markup, its numbers table and the
numbers its summary sentence needs.
"""

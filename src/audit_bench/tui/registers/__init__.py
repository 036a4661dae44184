"""The registers of the quality year, one tab each (réclamations, enquêtes, indicateurs, contrôles, sorties)."""

"""What the app draws and lays out: charts (matplotlib, SVG), PDFs (WeasyPrint) and QR codes."""

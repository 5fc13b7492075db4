# file-remove.sh PATH — removes a file (an abandoned upload, a refused download); no error if absent.
rm -f -- "$1"

# upload-abandon.sh TEMP_RELATIVE — removes $HOME/TEMP_RELATIVE, an upload that was cancelled or
# failed; no error if it is gone already.
rm -f -- "$HOME/$1"

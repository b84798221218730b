/* Ripples: the script Material 9.8 inlines in <head> (partials/javascripts/base.html),
   moved into a file so the Content-Security-Policy needs no inline script
   (macros/finish/security.py). Same code, but __md_scope (the site root, where Material keys
   its localStorage) comes from this file's own address instead of the page's base_url.
   It also marks a scripting browser before the first paint, so the content-note filter
   (hidden without scripts) takes its place at once instead of pushing the story cards
   down when ripples.js runs (Lighthouse: cumulative layout shift). */
document.documentElement.classList.add("rp-js");
__md_scope=new URL("..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}

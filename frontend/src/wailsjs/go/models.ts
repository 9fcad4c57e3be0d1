export namespace app {
	
	export class LibraryInfo {
	    id: string;
	    name: string;
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new LibraryInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.version = source["version"];
	    }
	}
	export class SaveResult {
	    settings: settings.Settings;
	    restartNeeded: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SaveResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = this.convertValues(source["settings"], settings.Settings);
	        this.restartNeeded = source["restartNeeded"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    version: string;
	    library?: LibraryInfo;
	    online: online.Status;
	    settingsPath: string;
	    dataDir: string;
	    defaultDataDir: string;
	    storage?: cache.Stats;
	    warnings: fault.Payload[];
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.library = this.convertValues(source["library"], LibraryInfo);
	        this.online = this.convertValues(source["online"], online.Status);
	        this.settingsPath = source["settingsPath"];
	        this.dataDir = source["dataDir"];
	        this.defaultDataDir = source["defaultDataDir"];
	        this.storage = this.convertValues(source["storage"], cache.Stats);
	        this.warnings = this.convertValues(source["warnings"], fault.Payload);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace cache {
	
	export class Stats {
	    dir: string;
	    lsmBytes: number;
	    vlogBytes: number;
	
	    static createFrom(source: any = {}) {
	        return new Stats(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dir = source["dir"];
	        this.lsmBytes = source["lsmBytes"];
	        this.vlogBytes = source["vlogBytes"];
	    }
	}

}

export namespace fault {
	
	export class Payload {
	    kind: string;
	    code: string;
	    op?: string;
	    params?: Record<string, string>;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new Payload(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.code = source["code"];
	        this.op = source["op"];
	        this.params = source["params"];
	        this.detail = source["detail"];
	    }
	}

}

export namespace online {
	
	export class Status {
	    state: string;
	    hubUrl: string;
	    checkedAt: string;
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.hubUrl = source["hubUrl"];
	        this.checkedAt = source["checkedAt"];
	        this.reason = source["reason"];
	    }
	}

}

export namespace settings {
	
	export class Settings {
	    hubUrl: string;
	    displayName: string;
	    language: string;
	    dataDir: string;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hubUrl = source["hubUrl"];
	        this.displayName = source["displayName"];
	        this.language = source["language"];
	        this.dataDir = source["dataDir"];
	    }
	}

}

export namespace task {
	
	export class Progress {
	    phase: string;
	    done: number;
	    total: number;
	    unit: string;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.phase = source["phase"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.unit = source["unit"];
	    }
	}
	export class Update {
	    id: string;
	    kind: string;
	    state: string;
	    progress: Progress;
	    error?: fault.Payload;
	    seq: number;
	
	    static createFrom(source: any = {}) {
	        return new Update(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.state = source["state"];
	        this.progress = this.convertValues(source["progress"], Progress);
	        this.error = this.convertValues(source["error"], fault.Payload);
	        this.seq = source["seq"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

